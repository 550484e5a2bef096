console.log('install placeholder')
